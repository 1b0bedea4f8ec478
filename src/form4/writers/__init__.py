"""Writers: a Filing in, another form out."""
