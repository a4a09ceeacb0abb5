// Placeholder: replaced by the Extractor implementation.
