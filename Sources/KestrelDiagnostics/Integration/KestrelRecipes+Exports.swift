// The recipe layer (`TrainingRecipe`, `TrainingData`, `RecipeTrainer`, …) is its own target, KestrelRecipes;
// the doctor and the tuner take recipes, so code that imports only KestrelDiagnostics sees them too.
@_exported import KestrelRecipes
