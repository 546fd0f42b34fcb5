#!/usr/bin/python3
"""tools/score's quality gate on given figures (--scores): --check-floors
fails (exit 1, naming corpus, mode, figure and floor) only when a figure is
more than the tolerance below its floor; --raise-floors never lowers one."""
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.environ.get('CLEAN_ROOT') or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCORE = os.path.join(ROOT, 'tools', 'score')
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print(f'FAIL: {what}', file=sys.stderr)


def row(corpus, mode, split, f1, p=0.9, r=0.9):
    return {'corpus': corpus, 'mode': mode, 'split': split, 'P': p, 'R': r,
            'F1': f1, 'pages': 10, 'empty': 0}


def run(tmp, rows, floors, *args):
    scores = os.path.join(tmp, 'scores.jsonl')
    with open(scores, 'w') as fh:
        fh.writelines(json.dumps(r) + '\n' for r in rows)
    path = os.path.join(tmp, 'floors.json')
    with open(path, 'w') as fh:
        json.dump({'tolerance': 0.002, 'floors': floors}, fh)
    p = subprocess.run([sys.executable, SCORE, '--scores', scores, *args, path],
                       capture_output=True, text=True)
    with open(path) as fh:
        return p, json.load(fh)['floors']


def main():
    floors = {'dragnet': {'html': {'all': {'F1': 0.8811}}},
              'trafilatura-eval': {'text': {'en': {'F1': 0.8500, 'P': 0.86}}}}
    ok_rows = [row('dragnet', 'html', 'all', 0.8811),
               row('trafilatura-eval', 'text', 'en', 0.8500, p=0.86)]
    with tempfile.TemporaryDirectory() as tmp:
        p, _ = run(tmp, ok_rows, floors, '--check-floors')
        check(p.returncode == 0, f'figures at their floors pass: {p.returncode} {p.stderr}')

        rows = [row('dragnet', 'html', 'all', 0.8792)] + ok_rows[1:]
        p, _ = run(tmp, rows, floors, '--check-floors')
        check(p.returncode == 0, f'0.0019 below the floor is within tolerance: {p.stderr}')

        rows = [row('dragnet', 'html', 'all', 0.8790)] + ok_rows[1:]
        p, _ = run(tmp, rows, floors, '--check-floors')
        check(p.returncode == 1, f'0.0021 below the floor fails: {p.returncode}')
        check('dragnet html all F1 = 0.8790' in p.stderr and 'floor 0.8811' in p.stderr,
              f'the failure names corpus, mode, figure and floor: {p.stderr}')

        rows = ok_rows[:1] + [row('trafilatura-eval', 'text', 'en', 0.8500, p=0.85)]
        p, _ = run(tmp, rows, floors, '--check-floors')
        check(p.returncode == 1 and 'trafilatura-eval text en P = 0.8500' in p.stderr,
              f'a P floor is checked too: {p.returncode} {p.stderr}')

        p, _ = run(tmp, ok_rows[1:], floors, '--check-floors')
        check(p.returncode == 1 and 'dragnet html all F1: not measured' in p.stderr,
              f'a floor without a figure fails: {p.returncode} {p.stderr}')

        rows = [row('dragnet', 'html', 'all', 0.8700),
                row('trafilatura-eval', 'text', 'en', 0.8600, p=0.80),
                row('l3s-gn1', 'text', 'all', 0.9300, p=0.95)]
        p, out = run(tmp, rows, floors, '--raise-floors')
        check(p.returncode == 0, f'--raise-floors exits 0: {p.stderr}')
        check(out['dragnet']['html']['all'] == {'F1': 0.8811},
              f'a lower figure leaves its floor: {out}')
        check(out['trafilatura-eval']['text']['en'] == {'F1': 0.86, 'P': 0.86},
              f'a higher F1 raises its floor, a lower P does not: {out}')
        check(out['l3s-gn1']['text']['all'] == {'F1': 0.93},
              f'a new figure gets an F1 floor only: {out}')
    if failures:
        sys.exit(1)
    print('score floors: all checks passed')


if __name__ == '__main__':
    main()
