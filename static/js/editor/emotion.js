/* Editor: emotion (being built). */
