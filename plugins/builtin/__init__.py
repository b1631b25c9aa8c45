"""The built-in sectors, each registered exactly like a third-party plugin."""
