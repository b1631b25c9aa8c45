"""Entry-point side of the accountability review: rendering and writing files."""
