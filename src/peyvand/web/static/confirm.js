// A form marked data-confirm="question" asks the question before it is sent (removing a member, …);
// without JavaScript the form is sent as it is, and the server's own checks still apply.
document.addEventListener("submit", function (event) {
  var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) { event.preventDefault(); }
});
