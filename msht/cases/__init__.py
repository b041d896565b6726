"""The review workflow: publishing a run into the serving store, review items and their
states, four-eyes closing, expiry and partner sharing."""
