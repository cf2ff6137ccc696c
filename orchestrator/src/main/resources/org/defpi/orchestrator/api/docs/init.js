// Starts Swagger UI on the orchestrator's own document. A file of its own, not an inline script, so
// that the page works under "script-src 'self'".
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    // no badge from validator.swagger.io: the page loads nothing from elsewhere
    validatorUrl: null,
    displayOperationId: true,
    defaultModelsExpandDepth: 0,
    tryItOutEnabled: false,
    persistAuthorization: false
  });
});
