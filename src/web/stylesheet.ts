import { createHash } from 'node:crypto';
import * as sass from 'sass';

export interface Stylesheet {
  css: string;
  /** Content hash, used to bust caches when the stylesheet changes. */
  version: string;
}

const compiled = new Map<string, Promise<Stylesheet>>();

/**
 * Compiles trellis.scss (govuk-frontend with the system font stack, no GDS Transport) once per process. Compiling
 * takes under a second and the output depends only on files in the repository, so it is memoised by path.
 */
export function compileStylesheet(path: string, govukDist: string): Promise<Stylesheet> {
  let result = compiled.get(path);
  if (!result) {
    result = Promise.resolve().then(() => {
      const { css } = sass.compile(path, {
        loadPaths: [govukDist],
        style: 'compressed',
        quietDeps: true,
        silenceDeprecations: ['import', 'global-builtin', 'color-functions', 'slash-div'],
      });
      return { css, version: createHash('sha256').update(css).digest('hex').slice(0, 12) };
    });
    compiled.set(path, result);
  }
  return result;
}
