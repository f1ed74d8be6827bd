import packageJson from '../package.json' with { type: 'json' };

/** imglint's version, from package.json. */
export const VERSION: string = packageJson.version;
