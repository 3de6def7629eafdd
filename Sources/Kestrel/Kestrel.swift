// Kestrel: see ../../README.md and DESIGN.md.
