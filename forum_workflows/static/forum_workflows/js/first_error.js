/* A stage's page shown again after a refused comment, review or decision: the message is in
 * that form, often far down a long page, so take the reader there. */
(function () {
  "use strict";
  var errors = document.querySelector(".small-form #form-errors");
  if (errors) errors.focus();
})();
