/* Editor: canvas (being built). */
