/* Editor: keyboard (being built). */
