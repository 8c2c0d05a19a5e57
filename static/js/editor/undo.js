/* Editor: undo (being built). */
