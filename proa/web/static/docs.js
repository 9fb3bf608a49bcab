// The interactive API documentation (/docs), from Swagger UI's files served by proa itself.
window.addEventListener("load", () => {
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui" });
});
