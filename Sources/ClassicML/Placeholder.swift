// Placeholder: replaced by the ClassicML implementation.
