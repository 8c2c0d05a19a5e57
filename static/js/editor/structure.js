/* Editor: structure (being built). */
