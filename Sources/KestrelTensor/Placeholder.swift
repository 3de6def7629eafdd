public enum KestrelTensorPlaceholder {}
