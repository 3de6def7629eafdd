/// One concrete thing to try, following from the verdict.
public struct Suggestion: Sendable, Codable, Equatable {
    /// The kind of change.
    public var kind: SuggestionKind
    /// The advice in a sentence, with Keras/Kestrel names and numbers.
    public var text: String

    /// A suggestion of `kind` worded as `text`.
    public init(kind: SuggestionKind, text: String) {
        self.kind = kind
        self.text = text
    }
}
