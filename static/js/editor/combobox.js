/* Editor: combobox (being built). */
