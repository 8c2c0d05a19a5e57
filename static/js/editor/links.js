/* Editor: links (being built). */
