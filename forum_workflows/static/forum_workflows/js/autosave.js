/* Autosave for a stage's form; the page works without it ("Save draft").
 * - A few seconds after the last keystroke (and at the latest 15 s after the first unsaved
 *   one, for someone who types on and on), posts the form (without files) to the autosave URL
 *   and shows "Draft saved at hh:mm"; keeps the revision in step for the next save.
 * - Keystrokes made while a save is under way are saved next: nothing typed is skipped.
 * - No connection or a server error: tries again (2, 4, 8 s), then says so clearly and keeps
 *   trying every 30 s; leaving the page with unsaved text asks first.
 * - Someone else saved (409): stops, and says to select "Save draft", which shows both texts;
 *   on that page autosave waits until the person has combined them and saved by hand.
 * - Signed out (401): says so and keeps the text; after signing in again in another tab the
 *   next save sends the new CSRF token (read from its cookie).
 * - A button pressed while an autosave is under way waits for it, so the page posts the
 *   revision that autosave made (and does not take its own save for someone else's). */
(function () {
  "use strict";

  var form = document.querySelector("form[data-autosave-url]");
  var status = document.getElementById("autosave-status");
  if (!form || !status || !window.fetch || !window.FormData) return;
  var revision = form.querySelector('input[name="revision"]');
  var delay = Number(form.dataset.autosaveDelay || 3000);
  var longest = 15000;
  var dirty = form.hasAttribute("data-unsaved");  // posted, not saved: a 400 or a conflict
  var since = null;  // when the first unsaved change was made
  var saving = false;
  var stopped = form.hasAttribute("data-autosave-paused");
  var failures = 0;
  var timer = null;
  var waiting = null;  // the button pressed while a save was under way

  function say(text, kind) {
    status.textContent = text;
    status.className = "autosave-status" + (kind ? " autosave-status--" + kind : "");
  }

  function later(ms) {
    clearTimeout(timer);
    timer = setTimeout(save, ms);
  }

  function changed(event) {
    if (event.target.type === "file") return;
    dirty = true;
    if (stopped) return;
    since = since || Date.now();
    if (!saving) later(Math.max(0, Math.min(delay, since + longest - Date.now())));
  }

  function freshToken(data) {
    var cookie = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    var input = form.querySelector('input[name="csrfmiddlewaretoken"]');
    if (cookie && input) input.value = decodeURIComponent(cookie[1]);
    if (data && input) data.set("csrfmiddlewaretoken", input.value);
  }

  function failed() {
    dirty = true;
    failures += 1;
    if (failures <= 3) {
      say(status.dataset.retrying, "warning");
      later(1000 * Math.pow(2, failures));
    } else {
      say(status.dataset.offline, "error");
      later(30000);
    }
  }

  // ``post``: go on with the button pressed meanwhile; not when the save failed (the person
  // sees why and presses again) or the session ended (the post would land on the login page).
  function settled(post) {
    saving = false;
    if (!post) waiting = null;
    if (waiting) {
      var button = waiting;
      waiting = null;
      form.requestSubmit(button);
    }
  }

  function save() {
    if (!dirty || saving || stopped) return;
    saving = true;
    dirty = false;
    since = null;
    var data = new FormData(form);
    freshToken(data);
    form.querySelectorAll("input[type=file]").forEach(function (input) { data.delete(input.name); });
    fetch(form.dataset.autosaveUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      return (json ? response.json() : Promise.resolve(null)).then(function (body) {
        if (response.status >= 500) {
          settled(false);
          return failed();
        }
        if (response.status === 401 || !body) {  // the session has ended, or no answer
          dirty = true;
          say(response.status === 401 ? status.dataset.signedOut : status.dataset.refused, "error");
          return settled(false);
        }
        failures = 0;
        if (response.ok) {
          revision.value = body.revision;
          say(body.message, "saved");
          if (dirty) later(delay);
          return settled(true);
        }
        dirty = true;
        stopped = response.status === 409;
        say(body.message, "error");
        settled(true);
      });
    }).catch(function () {
      settled(false);
      failed();
    });
  }

  if (stopped) say(status.dataset.paused, "warning");
  else if (dirty) say(status.dataset.unsavedText, "warning");
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function (event) {
    clearTimeout(timer);
    freshToken(null);
    if (saving) {
      event.preventDefault();
      waiting = event.submitter || null;
      return;
    }
    stopped = true;
    dirty = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty || saving) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
