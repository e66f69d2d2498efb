/**
 * The Python that the tests use as an independent consumer of our files: Debian's /usr/bin/python3 with
 * python3-numpy and python3-h5py (installed by .ci/run), falling back to `python3` on PATH. A missing interpreter
 * fails the test that needs it rather than skipping it.
 */
import { existsSync } from 'node:fs';

export const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

