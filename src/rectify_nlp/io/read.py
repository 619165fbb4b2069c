"""Read and decode input. CONTRACT (implementation pending).

decode_bytes(data: bytes, *, source: str | None = None) -> str
    UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK/GB2312; raises
    RectifyInputError (naming `source`) for binary data (NUL bytes, images, zip, PDF…)
    or bytes no encoding decodes sensibly.
read_text(path: str | os.PathLike, *, max_bytes: int | None = None) -> str
    Reads a file and decodes it; RectifyInputError for a missing file, a directory,
    a file over max_bytes (when given) or undecodable content.
looks_like_html(text: str) -> bool
"""
