"""Settings modules: `local` (the embedded default), `test` and `production`."""
