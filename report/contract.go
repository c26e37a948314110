package report

// FormatID names the one report format this contract describes: the tables of
// 国办公开办函〔2021〕30号.
const FormatID = "gov-info-disclosure/2021"

// Size limits. They keep a render bounded (a report is a few pages, never a
// book) and are documented in the README and the JSON Schema.
const (
	MaxTitleLen      = 200      // characters in title or agency
	MaxHeadingLen    = 100      // characters in a (一) heading
	MaxParagraphLen  = 5000     // characters in one paragraph
	MaxBlocks        = 500      // blocks in one section, paragraphs in one block
	MaxSectionChars  = 100000   // characters in one section (all its blocks)
	MaxReportChars   = 300000   // characters of text in the whole report
	MaxCount         = 1e12 - 1 // a count is 0 ≤ n < 10^12
	MaxDecimalPlaces = 4        // the fee in 万元 has at most 4 decimal places
	MinYear          = 2021     // the 2021 format applies to the 2021 reports onward
	// MaxProblems is how many problems an invalid report lists; the rest
	// are only counted (Error.Omitted), so the answer to a hostile input
	// stays small.
	MaxProblems = 100
)

// Kind is the kind of value a contract node accepts.
type Kind uint8

const (
	KindObject  Kind = iota // a JSON object with the listed fields, no others
	KindString              // a one-line string (agency, title, heading)
	KindFormat              // the constant FormatID
	KindYear                // an integer year
	KindDate                // an ISO date YYYY-MM-DD that exists
	KindBlocks              // an array of paragraphs and (一) heading blocks
	KindCount               // a table count: integer 0 ≤ n < 10^12, or null
	KindDecimal             // a table amount: decimal ≥ 0 with ≤ 4 places, or null
	KindBool                // true or false
)

// Node describes one value of the contract. The decoder walks this tree, and
// the JSON Schema is generated from it, so the two cannot disagree.
type Node struct {
	Kind        Kind
	Description string  // English, for the schema
	Fields      []Field // for KindObject, in document order
	MaxLen      int     // for KindString
	MinItems    int     // for KindBlocks
}

// Field is one key of an object node.
type Field struct {
	Name     string
	Node     *Node
	Required bool
	// Computed marks a table total that may be omitted: it is then computed
	// from the cells it sums.
	Computed bool
}

// Applicant columns of table 三, in the official order.
var ApplicantColumns = []string{
	"natural_person", "commercial_enterprise", "research_institution",
	"social_welfare_org", "legal_service_org", "other_org", "total",
}

// OutcomeRows are the 21 outcome rows of table 三 whose sum is （七）总计
// (the spec's §3 says 20, but its grid and the contract have 21),
// as paths below /applications/outcomes.
var OutcomeRows = []string{
	"disclosed", "partially_disclosed",
	"withheld/state_secret", "withheld/prohibited_by_law",
	"withheld/three_security_one_stability", "withheld/third_party_rights",
	"withheld/internal_affairs", "withheld/process_information",
	"withheld/enforcement_files", "withheld/administrative_query",
	"unable_to_provide/not_held", "unable_to_provide/needs_creation",
	"unable_to_provide/still_unclear",
	"not_processed/petition_or_complaint", "not_processed/duplicate",
	"not_processed/publication", "not_processed/excessive_repeated",
	"not_processed/confirmation",
	"other_handling/overdue_correction", "other_handling/overdue_fee",
	"other_handling/other",
}

// ReviewColumns are the result columns of each table 四 group.
var ReviewColumns = []string{"upheld", "corrected", "other", "pending", "total"}

// ReviewGroups are the three groups of table 四.
var ReviewGroups = []string{"administrative_review", "litigation_direct", "litigation_after_review"}

var contract = buildContract()

// Contract returns the root of the contract tree. Callers must not modify it.
func Contract() *Node { return contract }

func buildContract() *Node {
	str := func(desc string, max int) *Node { return &Node{Kind: KindString, Description: desc, MaxLen: max} }
	blocks := func(desc string, min int) *Node { return &Node{Kind: KindBlocks, Description: desc, MinItems: min} }
	count := &Node{Kind: KindCount, Description: "a count: integer 0 ≤ n < 10^12, or null for not applicable (printed /)"}
	fee := &Node{Kind: KindDecimal, Description: "万元, a decimal ≥ 0 with at most 4 decimal places, printed as written; or null"}

	applicantRow := func() *Node {
		n := &Node{Kind: KindObject, Description: "one row of table 三 over the seven applicant columns"}
		for _, c := range ApplicantColumns {
			n.Fields = append(n.Fields, Field{Name: c, Node: count, Required: c != "total", Computed: c == "total"})
		}
		return n
	}
	group := func(desc string, names ...string) *Node {
		n := &Node{Kind: KindObject, Description: desc}
		for _, name := range names {
			n.Fields = append(n.Fields, Field{Name: name, Node: applicantRow(), Required: true})
		}
		return n
	}
	issued := func(desc string) *Node {
		return &Node{Kind: KindObject, Description: desc, Fields: []Field{
			{Name: "issued", Node: count, Required: true},
			{Name: "repealed", Node: count, Required: true},
			{Name: "in_force", Node: count, Required: true},
		}}
	}
	review := func(desc string) *Node {
		n := &Node{Kind: KindObject, Description: desc}
		for _, c := range ReviewColumns {
			n.Fields = append(n.Fields, Field{Name: c, Node: count, Required: c != "total", Computed: c == "total"})
		}
		return n
	}

	outcomes := &Node{Kind: KindObject, Description: "三、本年度办理结果", Fields: []Field{
		{Name: "disclosed", Node: applicantRow(), Required: true},
		{Name: "partially_disclosed", Node: applicantRow(), Required: true},
		{Name: "withheld", Node: group("（三）不予公开", "state_secret", "prohibited_by_law",
			"three_security_one_stability", "third_party_rights", "internal_affairs",
			"process_information", "enforcement_files", "administrative_query"), Required: true},
		{Name: "unable_to_provide", Node: group("（四）无法提供", "not_held", "needs_creation", "still_unclear"), Required: true},
		{Name: "not_processed", Node: group("（五）不予处理", "petition_or_complaint", "duplicate",
			"publication", "excessive_repeated", "confirmation"), Required: true},
		{Name: "other_handling", Node: group("（六）其他处理", "overdue_correction", "overdue_fee", "other"), Required: true},
		{Name: "total", Node: applicantRow(), Computed: true},
	}}

	return &Node{Kind: KindObject, Description: "政府信息公开工作年度报告 in the 国办公开办函〔2021〕30号 format", Fields: []Field{
		{Name: "format", Node: &Node{Kind: KindFormat, Description: "the report format"}, Required: true},
		{Name: "agency", Node: str("the reporting agency", MaxTitleLen), Required: true},
		{Name: "year", Node: &Node{Kind: KindYear, Description: "the reported calendar year (2021 ≤ year ≤ current year + 1)"}, Required: true},
		{Name: "title", Node: str("default: {agency}{year}年政府信息公开工作年度报告", MaxTitleLen)},
		{Name: "preamble", Node: blocks("unnumbered paragraphs before 一、", 0)},
		{Name: "overview", Node: blocks("一、总体情况", 1), Required: true},
		{Name: "proactive_disclosure", Node: &Node{Kind: KindObject, Description: "table 二: 主动公开政府信息情况", Fields: []Field{
			{Name: "rules", Node: issued("规章"), Required: true},
			{Name: "normative_documents", Node: issued("行政规范性文件"), Required: true},
			{Name: "licensing_decisions", Node: count, Required: true},
			{Name: "penalty_decisions", Node: count, Required: true},
			{Name: "coercion_decisions", Node: count, Required: true},
			{Name: "fee_income_wan_yuan", Node: fee, Required: true},
		}}, Required: true},
		{Name: "applications", Node: &Node{Kind: KindObject, Description: "table 三: 收到和处理政府信息公开申请情况", Fields: []Field{
			{Name: "new_requests", Node: applicantRow(), Required: true},
			{Name: "carried_over", Node: applicantRow(), Required: true},
			{Name: "outcomes", Node: outcomes, Required: true},
			{Name: "carried_forward", Node: applicantRow(), Required: true},
		}}, Required: true},
		{Name: "reviews_and_litigation", Node: &Node{Kind: KindObject, Description: "table 四: 政府信息公开行政复议、行政诉讼情况", Fields: []Field{
			{Name: "administrative_review", Node: review("行政复议"), Required: true},
			{Name: "litigation_direct", Node: review("行政诉讼 · 未经复议直接起诉"), Required: true},
			{Name: "litigation_after_review", Node: review("行政诉讼 · 复议后起诉"), Required: true},
		}}, Required: true},
		{Name: "problems", Node: blocks("五、存在的主要问题及改进情况", 1), Required: true},
		{Name: "other_matters", Node: blocks("六、其他需要报告的事项", 1), Required: true},
		{Name: "table_notes", Node: &Node{Kind: KindObject, Description: "optional text printed before a table", Fields: []Field{
			{Name: "proactive_disclosure", Node: blocks("before table 二", 0)},
			{Name: "applications", Node: blocks("before table 三", 0)},
			{Name: "reviews_and_litigation", Node: blocks("before table 四", 0)},
		}}},
		{Name: "signature", Node: &Node{Kind: KindObject, Description: "the issuing agency and date block", Fields: []Field{
			{Name: "agency", Node: str("default: the top-level agency", MaxTitleLen)},
			{Name: "date", Node: &Node{Kind: KindDate, Description: "成文日期, YYYY-MM-DD; printed 2025年1月20日"}, Required: true},
		}}, Required: true},
	}}
}

// CellPointers lists the JSON pointers of every table cell of the contract,
// in document order. Every one is bound by exactly one cell of the template.
func CellPointers() []string {
	var out []string
	var walk func(prefix string, n *Node)
	walk = func(prefix string, n *Node) {
		switch n.Kind {
		case KindCount, KindDecimal:
			out = append(out, prefix)
		case KindObject:
			for _, f := range n.Fields {
				walk(prefix+"/"+f.Name, f.Node)
			}
		}
	}
	walk("", contract)
	return out
}
