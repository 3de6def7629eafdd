import Kestrel

/// One concrete change of a `TrainingRecipe` that `Doctor` tries: what it is for, the change as
/// a printed line (`+ dropout 0.5 after dense 128`), the changes as data, and the changed recipe.
public struct Remedy: Sendable, Equatable {
    /// The kind of cure (shared with the diagnosis's suggestions).
    public var kind: SuggestionKind
    /// The change as people read it, e.g. `+ dropout 0.5 after dense 128`.
    public var change: String
    /// The recipe with the change applied.
    public var recipe: TrainingRecipe
    /// How much the change adds (1 = one option, 2 = a layer, 3 or more = a combination); the
    /// prescription is the simplest remedy that works.
    public var complexity: Int
    /// The changes applied, in order, to the baseline recipe (one, or two for a combination).
    public var changes: [RemedyChange]

    /// A remedy with these parts.
    public init(kind: SuggestionKind, change: String, recipe: TrainingRecipe, complexity: Int, changes: [RemedyChange] = []) {
        self.kind = kind
        self.change = change
        self.recipe = recipe
        self.complexity = complexity
        self.changes = changes
    }

    /// Both remedies at once (a combination of the best two): `other`'s changes applied on top of
    /// this remedy's recipe; nil when they do not combine (one undoes or repeats the other).
    public func combined(with other: Remedy, base: TrainingRecipe) -> Remedy? {
        guard kind != other.kind, let recipe = RemedyCatalog.recipe(self.recipe, applying: other.changes),
              recipe != self.recipe, recipe != other.recipe, recipe != base else { return nil }
        return Remedy(kind: kind, change: change + " and " + other.change, recipe: recipe,
                      complexity: complexity + other.complexity + 1, changes: changes + other.changes)
    }
}
