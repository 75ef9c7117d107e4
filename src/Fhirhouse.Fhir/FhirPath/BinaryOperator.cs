namespace Fhirhouse.Fhir.FhirPath;

/// <summary>The binary operators of FHIRPath this engine evaluates.</summary>
internal enum BinaryOperator
{
    Multiply,
    Divide,
    IntegerDivide,
    Modulo,
    Add,
    Subtract,
    Concatenate,
    Union,
    LessThan,
    GreaterThan,
    LessOrEqual,
    GreaterOrEqual,
    Equal,
    NotEqual,
    Equivalent,
    NotEquivalent,
    In,
    Contains,
    And,
    Or,
    Xor,
    Implies,
}
