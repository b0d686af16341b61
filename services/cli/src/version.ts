/** What `sms --version` prints and the User-Agent carries; kept equal to package.json by a test. */
export const CLI_VERSION = '0.1.0';
