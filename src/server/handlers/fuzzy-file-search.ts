// fuzzyFileSearch: quick-open over the files and directories under the roots (the files library's
// fuzzyFileSearch: the ignore files honoured, hidden entries included, the best 50 by score, then
// path). A search with a `cancellationToken` cancels any earlier one still running with the same
// token, which then answers no files, as does a search the client cancels. Roots are taken as
// given (a relative one from Keel's working directory); one that is missing adds nothing.
import { fuzzyFileSearch } from '../../tools/files/index.js';
import type { ResultOf } from '../../protocol/wire-types.js';
import type { Handler } from '../dispatch.js';

type FuzzyFile = ResultOf<'fuzzyFileSearch'>['files'][number];

export function fuzzyFileSearchHandlers(): { fuzzyFileSearch: Handler<'fuzzyFileSearch'> } {
  const running = new Map<string, AbortController>();
  return {
    fuzzyFileSearch: async ({ query, roots, cancellationToken }, { signal }) => {
      const search = new AbortController();
      const cancel = () => search.abort(signal.reason);
      signal.addEventListener('abort', cancel, { once: true });
      if (cancellationToken != null) {
        running.get(cancellationToken)?.abort(new Error(`superseded by a later search with cancellationToken ${cancellationToken}`));
        running.set(cancellationToken, search);
      }
      try {
        const hits = await fuzzyFileSearch(query, roots, { signal: search.signal });
        return {
          files: hits.map(
            (hit): FuzzyFile => ({ root: hit.root, path: hit.path, match_type: hit.kind, file_name: hit.fileName, score: hit.score, indices: hit.indices }),
          ),
        };
      } catch (error) {
        if (search.signal.aborted) return { files: [] };
        throw error;
      } finally {
        signal.removeEventListener('abort', cancel);
        if (cancellationToken != null && running.get(cancellationToken) === search) running.delete(cancellationToken);
      }
    },
  };
}
