// Untangle namespace prefixes before bpmn-js reads a diagram. bpmn-js (moddle) knows its
// packages by prefix as well as by URI: a file that binds one of those prefixes to another
// namespace (Activiti exports with xmlns:camunda="http://activiti.org/bpmn") imports, but
// saveXML then throws "no namespace uri given for prefix <ns0>". Renaming the clashing prefix
// keeps the foreign attributes and elements (under their own namespace) and makes saving work.
(function () {
  'use strict';
  var XMLNS = 'http://www.w3.org/2000/xmlns/';
  // Readable names for namespaces met in the wild; anything else becomes <prefix>_<n>.
  var FAMILIAR = {
    'http://activiti.org/bpmn': 'activiti',
    'http://flowable.org/bpmn': 'flowable',
    'http://camunda.org/schema/1.0/bpmn': 'camunda',
    'http://camunda.org/schema/zeebe/1.0': 'zeebe',
    'http://www.jboss.org/drools': 'drools'
  };

  // Every (prefix, uri) pair the document declares, in document order.
  function declarations(doc) {
    var found = [];
    var walker = doc.createTreeWalker(doc.documentElement, 1 /* SHOW_ELEMENT */);
    for (var el = walker.currentNode; el; el = walker.nextNode()) {
      for (var i = 0; i < el.attributes.length; i++) {
        var attr = el.attributes[i];
        if (attr.namespaceURI === XMLNS && attr.prefix === 'xmlns') {
          found.push({ prefix: attr.localName, uri: attr.value });
        }
      }
    }
    return found;
  }

  // prefix+uri -> new prefix, for each prefix that moddle would misread: one a package owns
  // with another URI, or one the file binds to two different URIs in different places.
  function renames(found, packages) {
    var owner = {};
    packages.forEach(function (pkg) { owner[pkg.prefix] = pkg.uri; });
    var taken = {};
    Object.keys(owner).forEach(function (prefix) { taken[prefix] = true; });
    found.forEach(function (d) { taken[d.prefix] = true; });
    var firstUri = {};
    var plan = {};
    var list = [];
    found.forEach(function (d) {
      var key = d.prefix + ' ' + d.uri;
      if (plan[key]) { return; }
      // A package's prefix belongs to its URI; any other prefix to the URI it is first bound to.
      var rightful = owner[d.prefix] || firstUri[d.prefix] || d.uri;
      if (!firstUri[d.prefix]) { firstUri[d.prefix] = d.uri; }
      var clash = rightful !== d.uri;
      if (!clash) { return; }
      var name = FAMILIAR[d.uri];
      if (!name || taken[name]) {
        var n = 1;
        while (taken[d.prefix + '_' + n]) { n++; }
        name = d.prefix + '_' + n;
      }
      taken[name] = true;
      plan[key] = name;
      list.push({ prefix: d.prefix, uri: d.uri, to: name });
    });
    return { plan: plan, list: list };
  }

  function renamed(plan, node) {
    var to = node.prefix && plan[node.prefix + ' ' + node.namespaceURI];
    return to ? to + ':' + node.localName : node.nodeName;
  }

  // A copy of the tree with the planned prefixes renamed (DOM prefixes are read-only).
  function copy(target, node, plan) {
    if (node.nodeType !== 1) { return target.importNode(node, true); }
    var el = target.createElementNS(node.namespaceURI, renamed(plan, node));
    for (var i = 0; i < node.attributes.length; i++) {
      var attr = node.attributes[i];
      if (attr.namespaceURI === XMLNS && attr.prefix === 'xmlns') {
        var to = plan[attr.localName + ' ' + attr.value];
        el.setAttributeNS(XMLNS, 'xmlns:' + (to || attr.localName), attr.value);
      } else if (attr.namespaceURI) {
        el.setAttributeNS(attr.namespaceURI, renamed(plan, attr), attr.value);
      } else {
        el.setAttribute(attr.name, attr.value);
      }
    }
    for (var child = node.firstChild; child; child = child.nextSibling) {
      el.appendChild(copy(target, child, plan));
    }
    return el;
  }

  // {xml, renamed: [{prefix, uri, to}]}; the text comes back untouched when nothing clashes
  // or it is not well-formed XML (bpmn-js then reports what is wrong with it).
  function untangle(xml, packages) {
    var doc = new DOMParser().parseFromString(xml, 'application/xml');
    if (doc.getElementsByTagName('parsererror').length) { return { xml: xml, renamed: [] }; }
    var found = renames(declarations(doc), packages);
    if (!found.list.length) { return { xml: xml, renamed: [] }; }
    var target = document.implementation.createDocument(null, null, null);
    for (var node = doc.firstChild; node; node = node.nextSibling) {
      target.appendChild(node === doc.documentElement ? copy(target, node, found.plan) : target.importNode(node, true));
    }
    return { xml: new XMLSerializer().serializeToString(target), renamed: found.list };
  }

  // The designer's status line: which prefix was renamed and why.
  function describe(list) {
    return list.map(function (r) {
      return '前缀 ' + r.prefix + ' 在此图中指向 ' + r.uri + '，与本平台使用的同名前缀冲突，已改名为 ' + r.to;
    }).join('；') + '。这些属性本平台不执行，保存时原样保留。';
  }

  window.JuhaobanNamespaces = { untangle: untangle, describe: describe };
})();
