package parse

import (
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"strings"
)

// esxcli --formatter=xml output:
//
//	<?xml version="1.0" encoding="utf-8"?>
//	<output xmlns="http://www.vmware.com/Products/ESX/5.0/esxcli">
//	<root>
//	   <list type="structure">
//	      <structure typeName="Nic">
//	         <field name="AdminStatus">
//	            <string>Up</string>
//	         </field>
//	         <field name="Uplinks">
//	            <list type="string">
//	               <string>vmnic0</string>
//	            </list>
//	         </field>
//	      </structure>
//	   </list>
//	</root>
//	</output>
//
// A get command has one <structure> directly under <root>. Each outermost
// <structure> becomes a record; fields holding nested structures (DVPort)
// are skipped.

// isXMLOutput reports whether the output is esxcli's XML form.
func isXMLOutput(lines []string) bool {
	t, _ := FirstNonBlank(lines)
	return strings.HasPrefix(t, "<?xml") || strings.HasPrefix(t, "<output")
}

var xmlFieldNameRE = regexp.MustCompile(`<field\s+name\s*=\s*"([^"]*)"`)

// xmlFieldNames lists the (normalised) field names an XML output uses, for
// detection; it does not parse the document.
func xmlFieldNames(lines []string) map[string]bool {
	out := map[string]bool{}
	for _, l := range lines {
		for _, m := range xmlFieldNameRE.FindAllStringSubmatch(l, -1) {
			out[normKey(m[1])] = true
		}
	}
	return out
}

// xmlNode is an element of the parsed document.
type xmlNode struct {
	name     string
	attrs    map[string]string
	text     strings.Builder
	children []*xmlNode
	line     int
	endLine  int // 0 while (or if never) closed
}

// maxXMLDepth bounds nesting; esxcli output nests about 8 deep.
const maxXMLDepth = 64

// xmlRecords parses esxcli XML into records. On a syntax error (a truncated
// document) the structures completed before it are still returned.
func xmlRecords(lines []string) ([]*esxRecord, error) {
	dec := xml.NewDecoder(strings.NewReader(strings.Join(lines, "\n")))
	// esxcli declares its stdout encoding, which on a host without a UTF-8
	// locale is an ASCII alias (ansi_x3.4-1968): read it as it is.
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	root := &xmlNode{name: "#document"}
	stack := []*xmlNode{root}
	var perr *Error
tokens:
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			line, _ := dec.InputPos()
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				line = se.Line
			}
			perr = errorf(clampLine(line, len(lines)), "XML: %v", err)
			break tokens
		}
		line, _ := dec.InputPos()
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) > maxXMLDepth {
				perr = errorf(clampLine(line, len(lines)), "XML nested deeper than %d elements", maxXMLDepth)
				break tokens
			}
			n := &xmlNode{name: t.Name.Local, line: line, attrs: map[string]string{}}
			for _, a := range t.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			top := stack[len(stack)-1]
			top.children = append(top.children, n)
			stack = append(stack, n)
		case xml.EndElement:
			if len(stack) > 1 {
				stack[len(stack)-1].endLine = line
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			stack[len(stack)-1].text.Write(t)
		}
	}
	var recs []*esxRecord
	var e errs
	var walk func(n *xmlNode)
	walk = func(n *xmlNode) {
		if n.name == "structure" {
			if n.endLine > 0 {
				recs = append(recs, xmlStructure(n, &e))
			}
			return // nested structures belong to this one
		}
		for _, c := range n.children {
			walk(c)
		}
	}
	walk(root)
	if perr != nil {
		return recs, perr
	}
	if len(root.children) == 0 || root.children[0].name != "output" {
		return recs, errorf(1, "not esxcli XML output: no <output> element")
	}
	if len(recs) == 0 {
		if e.first != nil {
			return recs, e.err()
		}
		return recs, errorf(clampLine(root.children[0].line, len(lines)), "esxcli XML output without any <structure>")
	}
	return recs, e.err()
}

func clampLine(line, n int) int {
	if line < 0 {
		return 0
	}
	if line > n {
		return n
	}
	return line
}

// xmlStructure turns one <structure> into a record.
func xmlStructure(n *xmlNode, e *errs) *esxRecord {
	rec := newRecord(n.attrs["typeName"], n.line, 12)
	rec.end = n.endLine
	for _, f := range n.children {
		if f.name != "field" {
			continue
		}
		name := normKey(f.attrs["name"])
		if name == "" {
			e.add(errorf(f.line, "XML field without a name"))
			continue
		}
		var val *xmlNode
		for _, c := range f.children {
			val = c
			break
		}
		switch {
		case val == nil:
			rec.set(name, esxField{val: strings.TrimSpace(f.text.String()), line: f.line})
		case val.name == "list":
			fld := esxField{isList: true, line: f.line}
			nested := false
			for _, item := range val.children {
				if item.name == "structure" {
					nested = true
					break
				}
				fld.list = append(fld.list, strings.TrimSpace(item.text.String()))
			}
			if !nested {
				rec.set(name, fld)
			}
		case val.name == "structure":
			// a nested structure: not used
		default: // string, integer, boolean, ...
			rec.set(name, esxField{val: strings.TrimSpace(val.text.String()), line: f.line})
		}
	}
	return rec
}
