/* Progressive enhancement for answer forms; everything works without it.
 * - Mirrors show-if conditions: hides fields the server would discard anyway.
 * - On small screens, shows one section (between headings) at a time, with progress and
 *   free movement between sections. */
(function () {
  "use strict";

  function valuesOf(form, name) {
    var fields = form.querySelectorAll('[name="' + CSS.escape(name) + '"]');
    var values = [];
    fields.forEach(function (field) {
      if (field.closest("[data-show-if][hidden]")) return; // hidden answers are discarded
      if ((field.type === "radio" || field.type === "checkbox") && !field.checked) return;
      if (field.value !== "") values.push(field.value);
    });
    // Files already attached count too, unless ticked for removal.
    form.querySelectorAll('[name="' + CSS.escape(name + "-current") + '"]').forEach(function (current) {
      var remove = form.querySelector('[name="' + CSS.escape(name + "-remove") + '"][value="' + CSS.escape(current.value) + '"]');
      if (current.closest("[data-show-if][hidden]") || (remove && remove.checked)) return;
      values.push(current.value);
    });
    return values;
  }

  // Say at once when the chosen files together are over the request cap.
  function checkRequestSize(form, wrapper) {
    var warning = wrapper.querySelector("#request-size-warning");
    var limit = Number(wrapper.dataset.maxRequestBytes);
    if (!warning || !limit) return;
    var total = 0;
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      Array.prototype.forEach.call(input.files, function (file) { total += file.size; });
    });
    warning.hidden = total <= limit;
    warning.textContent = warning.dataset.message.replace("{total}", (total / 1048576).toLocaleString(document.documentElement.lang, { maximumFractionDigits: 1 }) + " MB");
  }

  // Say at once when a chosen file is over the size cap, before a long upload is refused.
  function checkFileSizes(input) {
    var warning = document.getElementById(input.id + "_size_warning");
    var limit = Number(input.dataset.maxBytes);
    if (!warning || !limit) return;
    var tooLarge = Array.prototype.filter.call(input.files, function (file) { return file.size > limit; });
    warning.hidden = tooLarge.length === 0;
    warning.textContent = tooLarge.map(function (file) {
      return warning.dataset.message.replace("{name}", file.name);
    }).join(" ");
  }

  function conditionMet(form, element) {
    var given = valuesOf(form, element.dataset.showIf);
    var wanted = (element.dataset.showIfValues || "").split("|").filter(Boolean);
    var op = element.dataset.showIfOp;
    if (op === "not_empty") return given.length > 0;
    if (op === "one_of") return given.some(function (v) { return wanted.indexOf(v) !== -1; });
    return given.length > 0 && wanted.every(function (v) { return given.indexOf(v) !== -1; });
  }

  function applyConditions(form) {
    // Document order, as on the server: a field hidden above no longer counts below.
    form.querySelectorAll("[data-show-if]").forEach(function (element) {
      element.hidden = !conditionMet(form, element);
    });
  }

  function sectionise(container) {
    var headings = container.querySelectorAll(":scope > [data-section-heading]");
    if (headings.length < 2 || !window.matchMedia("(max-width: 40rem)").matches) return;
    var sections = [];
    var current = null;
    Array.prototype.slice.call(container.childNodes).forEach(function (node) {
      if (node.nodeType === 1 && node.hasAttribute("data-section-heading")) {
        current = document.createElement("section");
        current.className = "form-section";
        container.appendChild(current);
        sections.push(current);
      }
      if (current) current.appendChild(node);
    });
    var nav = document.createElement("nav");
    nav.setAttribute("aria-label", container.dataset.sectionsLabel || "Sections");
    var progress = document.createElement("p");
    progress.className = "section-progress";
    progress.setAttribute("aria-live", "polite");
    var list = document.createElement("ul");
    list.className = "section-nav";
    nav.appendChild(progress);
    nav.appendChild(list);
    container.insertBefore(nav, container.firstChild);
    function show(index) {
      sections.forEach(function (section, i) { section.hidden = i !== index; });
      progress.textContent = (container.dataset.progress || "{current} / {total}")
        .replace("{current}", index + 1).replace("{total}", sections.length);
      list.querySelectorAll("button").forEach(function (button, i) {
        button.setAttribute("aria-current", i === index ? "step" : "false");
      });
    }
    sections.forEach(function (section, index) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "link-button";
      button.textContent = section.querySelector("[data-section-heading]").textContent;
      button.addEventListener("click", function () {
        show(index);
        section.querySelector("[data-section-heading]").focus();
      });
      section.querySelector("[data-section-heading]").tabIndex = -1;
      item.appendChild(button);
      list.appendChild(item);
    });
    function sectionOf(element) {
      for (var i = 0; i < sections.length; i++) if (sections[i].contains(element)) return i;
      return -1;
    }
    var invalid = container.querySelector("[aria-invalid='true']");
    show(invalid ? Math.max(sectionOf(invalid), 0) : 0);
    // A link in the error summary opens the section that holds its field.
    document.querySelectorAll("#error-summary a[href^='#']").forEach(function (link) {
      link.addEventListener("click", function () {
        var target = document.getElementById(link.getAttribute("href").slice(1));
        var index = target ? sectionOf(target) : -1;
        if (index >= 0) show(index);
      });
    });
  }

  document.querySelectorAll("[data-answer-form]").forEach(function (wrapper) {
    var form = wrapper.closest("form") || wrapper;
    applyConditions(form);
    form.addEventListener("change", function (event) {
      if (event.target.type === "file") {
        checkFileSizes(event.target);
        checkRequestSize(form, wrapper);
      }
      applyConditions(form);
    });
    form.addEventListener("input", function () { applyConditions(form); });
    var summary = wrapper.querySelector("#error-summary");
    if (summary) summary.focus();
    wrapper.querySelectorAll("[data-sections]").forEach(sectionise);
  });
})();
