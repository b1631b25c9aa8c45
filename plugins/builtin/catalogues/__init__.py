"""The built-in sectors' criterion catalogues: official texts as versioned data."""
