// Code review (`review/start`): a turn whose model reviews a change with the thread's tools, read
// only (the Plan-mode gate: reads pass, changes are refused), told what to look at by the target,
// and ends with its findings: `enteredReviewMode` opens the turn, `exitedReviewMode` (the review
// text) closes it, as Codex shows a review.

export type ReviewTarget =
  | { type: 'uncommittedChanges' }
  | { type: 'baseBranch'; branch: string }
  | { type: 'commit'; sha: string; title?: string | null }
  | { type: 'custom'; instructions: string };

export const REVIEW_PROMPT = `You are reviewing a code change. You may read files and run commands that only look (git diff, git log, git show, cat, rg, ls…); you cannot change anything, and should not try.

Find what is wrong with the change: bugs, broken edge cases, security problems, missing or wrong tests, behaviour that does not match what the change claims, and code that will be hard to keep. Check each suspicion against the code before you report it. Do not report style nits or anything you are not sure of.

End with your findings as a list, most important first; for each: the file and line, what is wrong, why it matters, and how to fix it. If you find nothing worth fixing, say so plainly.`;

/** What the review is of, as the user's message of the review turn (and the `review` of enteredReviewMode). */
export function reviewRequest(target: ReviewTarget): string {
  switch (target.type) {
    case 'uncommittedChanges':
      return 'Review the uncommitted changes in the working tree: staged, unstaged and untracked files (git status, git diff, git diff --staged).';
    case 'baseBranch':
      return `Review the changes of the current branch against the base branch ${target.branch} (git diff ${target.branch}...HEAD).`;
    case 'commit':
      return `Review the changes of commit ${target.sha}${target.title ? ` ("${target.title}")` : ''} (git show ${target.sha}).`;
    case 'custom':
      return target.instructions;
  }
}
