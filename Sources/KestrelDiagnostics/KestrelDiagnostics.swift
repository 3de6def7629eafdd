// KestrelDiagnostics: see ../../README.md and DESIGN.md.
