"""``python -m rectify_nlp.cli`` runs the ``rectify`` command."""

from rectify_nlp.cli import main

if __name__ == "__main__":
    main()
