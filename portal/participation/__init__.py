"""Citizens talk back: questions and feedback, drafts open for comment, ratings (one app each)."""
