// Placeholder: replaced by the FeatureStore implementation.
