"""Pure, typed normalisers: Chinese/Arabic numbers and quantities, dates and date ranges."""
