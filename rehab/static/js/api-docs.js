// The API documentation page: Swagger UI on the document this site serves (no CDN, no
// inline script). "Try it out" sends the token given under "Authorize".
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") {
    return;
  }

  // Each operation's summary is one button (it opens the operation); Swagger UI puts the
  // path's deep link inside it, a link within a button that keyboards and screen readers
  // cannot reach apart (axe: nested-interactive). The path is shown as text; deep linking
  // itself stays on (opening an operation still sets the address).
  function PathWithoutNestedLink() {
    return {
      wrapComponents: {
        OperationSummaryPath: function (Original, system) {
          return function (props) {
            var operationProps = props.operationProps.set("isDeepLinkingEnabled", false);
            return system.React.createElement(
              Original,
              Object.assign({}, props, { operationProps: operationProps })
            );
          };
        },
      },
    };
  }

  // What Swagger UI's markup leaves out, added as it renders: a name for the servers list
  // (its label wraps the list but holds no text), for a request body's editor (its heading)
  // and for the dialogs' close button (an icon), and keyboard access to the scrolling code
  // examples and curl command (axe: select-name, label, button-name,
  // scrollable-region-focusable).
  var closeLabel = root.getAttribute("data-close-label");
  var headings = 0;
  function finishMarkup() {
    root.querySelectorAll("textarea.body-param__text:not([aria-labelledby])").forEach(function (editor) {
      var heading = editor.closest(".opblock-section-request-body");
      heading = heading && heading.querySelector(".opblock-title");
      if (heading) {
        heading.id = heading.id || "request-body-title-" + (headings += 1);
        editor.setAttribute("aria-labelledby", heading.id);
      }
    });
    var servers = root.querySelector("select#servers:not([aria-labelledby])");
    var title = root.querySelector(".servers-title");
    if (servers && title) {
      title.id = title.id || "servers-title";
      servers.setAttribute("aria-labelledby", title.id);
    }
    root.querySelectorAll("pre.microlight:not([tabindex])").forEach(function (code) {
      code.setAttribute("tabindex", "0");
    });
    root.querySelectorAll(".close-modal:not([aria-label])").forEach(function (button) {
      button.setAttribute("aria-label", closeLabel);
    });
  }
  new MutationObserver(finishMarkup).observe(root, { childList: true, subtree: true });

  window.SwaggerUIBundle({
    url: root.getAttribute("data-spec-url"),
    domNode: root,
    deepLinking: true,
    persistAuthorization: false,
    validatorUrl: null,
    plugins: [PathWithoutNestedLink],
  });
})();
