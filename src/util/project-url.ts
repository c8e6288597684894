/** Where the project's files are published; rule help URIs and the schema id derive from it. */
export const PROJECT_URL = 'https://github.com/boundary-lint/boundary-lint/blob/main';
