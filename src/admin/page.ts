/** The console's one page. Everything dynamic is drawn by console.js with DOM APIs (textContent, never raw text as HTML). */
export const consolePage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="color-scheme" content="light dark">
<title>Parley · Moderation</title>
<link rel="icon" href="/avatar/0a1b2c3d4e5f60718293.svg" type="image/svg+xml">
<link rel="stylesheet" href="/admin/console.css">
<script src="/admin/console.js" defer></script>
</head>
<body>
<header class="top">
  <h1>Parley</h1>
  <nav id="tabs" aria-label="Comments by status" hidden></nav>
  <button id="me" class="quiet" type="button" aria-controls="me-form" aria-expanded="false" hidden></button>
  <button id="signout" class="quiet" type="button" hidden>Sign out</button>
  <form id="me-form" class="me-form" hidden>
    <label for="display-name">Your replies are signed</label>
    <input id="display-name" name="displayName" maxlength="100" required autocomplete="name">
    <button type="submit" class="big">Save</button>
    <button type="button" id="me-cancel" class="quiet">Cancel</button>
  </form>
</header>
<main>
  <form id="signin" class="signin" hidden>
    <h2>Moderator sign-in</h2>
    <label for="token">Moderator token</label>
    <input id="token" name="token" type="password" autocomplete="current-password" required>
    <button type="submit" class="big">Sign in</button>
    <p id="signin-error" class="error" role="alert"></p>
  </form>
  <section id="queue" hidden>
    <details id="webhooks" class="webhooks" hidden>
      <summary id="webhooks-summary"></summary>
      <ol id="webhooks-list"></ol>
    </details>
    <div class="toolbar">
      <label class="check"><input id="select-all" type="checkbox"> All shown</label>
      <input id="search" type="search" placeholder="Search text, author, article or email" aria-label="Search">
      <input id="article" type="search" placeholder="Article key" aria-label="Article (exact key)">
      <select id="reason" aria-label="Reason">
        <option value="">Any reason</option>
        <option value="profanity">profanity</option>
        <option value="links">links</option>
        <option value="spam_score">spam_score</option>
        <option value="honeypot">honeypot</option>
        <option value="moderation_word">moderation_word</option>
        <option value="disallowed_word">disallowed_word</option>
        <option value="no_form_token">no_form_token</option>
        <option value="too_fast">too_fast</option>
        <option value="bad_form_token">bad_form_token</option>
      </select>
      <select id="sort" aria-label="Sort"><option value="newest">Newest</option><option value="score">Spam score</option></select>
      <span id="selection" class="muted"></span>
    </div>
    <section id="article-bar" class="article-bar" aria-labelledby="article-heading" hidden>
      <h2 id="article-heading">Article <span id="article-key" class="key"></span></h2>
      <p id="article-state" class="state"></p>
      <button id="article-toggle" type="button" class="big" aria-describedby="article-state"></button>
      <button id="article-clear" type="button" class="quiet">All articles</button>
      <button id="article-edit" type="button" class="quiet" hidden>Title and link…</button>
      <form id="article-page-form" class="article-page" hidden>
        <label for="article-title-input">Title shown for this article</label>
        <input id="article-title-input" maxlength="300" placeholder="As the page names it">
        <label for="article-url-input">Link to the article</label>
        <input id="article-url-input" type="url" maxlength="2000" placeholder="https://…">
        <div class="reply-actions"><button type="submit" class="big">Save</button><button type="button" id="article-page-cancel" class="quiet">Cancel</button></div>
      </form>
    </section>
    <div id="bulk" class="bulk" role="toolbar" aria-label="Apply to the selected comments" hidden>
      <span id="bulk-count" class="bulk-count"></span>
      <button type="button" data-bulk="approved">Approve</button>
      <button type="button" data-bulk="spam">Spam</button>
      <button type="button" data-bulk="trash">Trash</button>
      <button type="button" data-bulk="restore">Restore</button>
      <button type="button" id="bulk-clear" class="quiet">Clear selection</button>
      <button type="button" data-bulk="delete" class="danger">Delete for good…</button>
    </div>
    <p id="status" class="status" role="status" aria-live="polite"></p>
    <p id="empty" class="muted" hidden></p>
    <ol id="list" class="list"></ol>
    <button id="more" type="button" class="quiet" hidden>Load more</button>
    <p class="keys muted">Keys: <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>x</kbd> select · <kbd>a</kbd> approve · <kbd>s</kbd> spam · <kbd>t</kbd> trash · <kbd>u</kbd> undo the last action (the cursor goes back to the comment it restored) · <kbd>o</kbd> only the current comment's article (again: all articles) · <kbd>c</kbd> close or reopen comments on the article shown · <kbd>r</kbd> reason filter</p>
  </section>
  <dialog id="confirm-delete" class="confirm" aria-labelledby="confirm-title">
    <form method="dialog">
      <h2 id="confirm-title"></h2>
      <p>Deleting cannot be undone. These comments go, and their replies move to the top level:</p>
      <ul id="confirm-list"></ul>
      <div class="confirm-actions">
        <button value="cancel" class="big" autofocus>Cancel</button>
        <button value="delete" id="confirm-go" class="danger-solid"></button>
      </div>
    </form>
  </dialog>
</main>
</body>
</html>
`
