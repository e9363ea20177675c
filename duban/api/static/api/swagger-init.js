// Starts Swagger UI from the settings the page carries. "Try it out" with the signed-in
// session sends the page's CSRF token, as the API asks of sessions for unsafe methods.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("swagger-settings").textContent);
  var csrfToken = document.body.dataset.csrfToken;
  config.dom_id = "#swagger-ui";
  config.presets = [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset];
  config.requestInterceptor = function (request) {
    if (csrfToken) {
      request.headers["X-CSRFToken"] = csrfToken;
    }
    return request;
  };
  window.ui = SwaggerUIBundle(config);
})();
