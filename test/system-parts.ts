/**
 * Real parts a test starts (nginx, Redis, Chromium) come from Debian's packages, installed by .ci/run. On a
 * developer's machine without them those tests are skipped; on CI (CI=true) a missing part fails them instead,
 * so a green CI run always ran them.
 */
export const IN_CI = process.env.CI === 'true';
