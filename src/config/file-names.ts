/** The names of the configuration file, kept apart from its schema so discovery loads no schema library. */

/** Config file names, in the order discovery looks for them in each directory. */
export const CONFIG_FILE_NAMES = ['.imglint.yaml', '.imglint.yml', '.imglint.json'] as const;
