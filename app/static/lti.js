// Deep linking: post the signed response back to the LMS at once (the form's button is the
// fallback without JavaScript).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("lti-autopost");
  if (form) { form.submit(); }
});
