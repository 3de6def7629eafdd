#!/usr/bin/env bash
# Mutation testing: plants each one-line bug of scripts/mutants.txt in turn, rebuilds incrementally,
# runs the tests the line names (a swift test --filter), restores the file, and prints the kill rate
# (a mutant is killed when the tests fail). Not part of `make test`: every mutant is a rebuild.
#   scripts/mutants.sh [MUTANTS-FILE]      (make mutants)
set -u
cd "$(dirname "$0")/.."
list="${1:-scripts/mutants.txt}"
swift build --build-tests >/dev/null 2>&1 || { echo "mutants: the unmutated package does not build" >&2; exit 2; }
exec python3 - "$list" <<'PY'
import subprocess, sys, shutil, os, signal
# Stopping the run (Ctrl-C, kill) still restores the mutated file.
signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
killed = survived = invalid = 0
rows = []
for number, line in enumerate(open(sys.argv[1]), 1):
    if not line.strip() or line.startswith('#'):
        continue
    parts = [part.strip() for part in line.rstrip('\n').split(' @@ ')]
    if len(parts) != 4:
        print(f"line {number}: expected FILTER @@ FILE @@ ORIGINAL @@ REPLACEMENT"); invalid += 1; continue
    test_filter, path, original, replacement = parts
    original, replacement = original.replace('\\n', '\n'), replacement.replace('\\n', '\n')
    source = open(path).read()
    if source.count(original) != 1:
        print(f"INVALID  {path}: the original text occurs {source.count(original)} times: {original!r}")
        invalid += 1; continue
    backup = path + '.mutant-backup'
    shutil.copy2(path, backup)
    try:
        with open(path, 'w') as handle:
            handle.write(source.replace(original, replacement))
        build = subprocess.run(['swift', 'build', '--build-tests'], capture_output=True, text=True)
        if build.returncode != 0:
            print(f"INVALID  {path}: the mutant does not compile: {replacement!r}"); invalid += 1; continue
        test = subprocess.run(['swift', 'test', '--skip-build', '--disable-swift-testing', '--filter', test_filter],
                              capture_output=True, text=True)
        status = 'KILLED' if test.returncode != 0 else 'SURVIVED'
        if test.returncode != 0: killed += 1
        else: survived += 1
        print(f"{status:8} {path}: {original.strip()!r} -> {replacement.strip()!r} ({test_filter})", flush=True)
    finally:
        shutil.move(backup, path)
        os.utime(path)  # the next build sees the restored file as changed
total = killed + survived
print(f"\n{killed} of {total} mutants killed ({100 * killed / max(total, 1):.0f} %); {invalid} invalid")
subprocess.run(['swift', 'build', '--build-tests'], capture_output=True)
PY
