"""Make `python manage.py test` (the brief's command) run the pytest suite."""


class PytestTestRunner:
    def __init__(self, verbosity=1, failfast=False, keepdb=False, **kwargs):
        self.verbosity = verbosity
        self.failfast = failfast
        self.keepdb = keepdb

    @classmethod
    def add_arguments(cls, parser):
        parser.add_argument("--keepdb", action="store_true", help="Preserve the test database.")

    def run_tests(self, test_labels, **kwargs):
        try:
            import pytest
        except ImportError:
            raise SystemExit(
                "The test tools are not installed: this is the production image (runtime dependencies "
                "only). Build the `test` stage (BACKEND_TARGET=test) or install requirements-dev.txt."
            ) from None

        argv = []
        if self.verbosity == 0:
            argv.append("--quiet")
        elif self.verbosity >= 2:
            argv.append("--verbose")
        if self.failfast:
            argv.append("--exitfirst")
        if self.keepdb:
            argv.append("--reuse-db")
        argv.extend(test_labels)
        return pytest.main(argv)
