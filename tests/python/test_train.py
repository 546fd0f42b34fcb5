#!/usr/bin/python3
"""tools/train end to end on a few pages of each dev corpus: features,
labels, leave-one-corpus-out validation, a model file, and that model
loaded by build/clean (--model) scoring lines in --explain. Exits 77
(skipped) when scikit-learn or the datasets are absent."""
import os
import subprocess
import sys
import tempfile

ROOT = os.environ.get('CLEAN_ROOT') or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get('CLEAN_BINARY') or os.path.join(ROOT, 'build', 'clean')
DATASETS = os.path.join(ROOT, '..', 'shared', 'datasets')

try:
    import sklearn  # noqa: F401
except ImportError:
    print('test_train: skipped: scikit-learn is not installed (apt-get install python3-sklearn)')
    sys.exit(77)
if not os.path.isdir(os.path.join(DATASETS, 'l3s-gn1', 'gold')):
    print(f'test_train: skipped: no datasets in {DATASETS}')
    sys.exit(77)

with tempfile.TemporaryDirectory() as tmp:
    model = os.path.join(tmp, 'smoke.model')
    r = subprocess.run([sys.executable, os.path.join(ROOT, 'tools', 'train'), '--pages', '4',
                        '--trees', '5', '--work', os.path.join(tmp, 'work'), '--out', model,
                        '--binary', BINARY, '--validate', '--thresholds', '0.5', '--threshold',
                        '0.5', '--name', 'smoke'], capture_output=True, text=True)
    print(r.stdout, r.stderr)
    assert r.returncode == 0, f'tools/train exited {r.returncode}'
    rows = [l for l in r.stdout.splitlines() if l.startswith(('| text |', '| html |'))]
    assert len(rows) == 10, rows  # 2 modes x (2 corpora + trafilatura-eval's 3 splits)
    text = open(model).read()
    assert text.startswith('#') and 'clean-model 1' in text and text.rstrip().endswith('end')
    assert 'input text' in text and 'input html' in text
    page = sorted(os.listdir(os.path.join(DATASETS, 'l3s-gn1', 'text')))[0]
    e = subprocess.run([BINARY, '--model', model, '--explain', '-q',
                        os.path.join(DATASETS, 'l3s-gn1', 'text', page)],
                       capture_output=True, text=True)
    assert e.returncode == 0, e.stderr
    assert '[score ' in e.stdout, 'the model scored no line'
print('test_train: OK')
