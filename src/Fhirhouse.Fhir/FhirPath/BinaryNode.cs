namespace Fhirhouse.Fhir.FhirPath;

/// <summary>A binary operator; both operands read the same input.</summary>
internal sealed class BinaryNode(BinaryOperator op, FhirPathNode left, FhirPathNode right) : FhirPathNode
{
    public override void Evaluate(EvaluationContext context, ItemBuffer input, ItemBuffer output)
    {
        var a = context.Rent();
        left.Evaluate(context, input, a);
        if (op is BinaryOperator.And && ToBoolean(a) == false)
        {
            output.Add(FhirItem.FromBoolean(false));
            context.Return(a);
            return;
        }

        if (op is BinaryOperator.Or && ToBoolean(a) == true)
        {
            output.Add(FhirItem.FromBoolean(true));
            context.Return(a);
            return;
        }

        var b = context.Rent();
        right.Evaluate(context, input, b);
        switch (op)
        {
            case BinaryOperator.And or BinaryOperator.Or or BinaryOperator.Xor or BinaryOperator.Implies:
                AddBoolean(Logic(ToBoolean(a), ToBoolean(b)), output);
                break;
            case BinaryOperator.Equal:
                AddBoolean(Equal(a, b), output);
                break;
            case BinaryOperator.NotEqual:
                AddBoolean(!Equal(a, b), output);
                break;
            case BinaryOperator.Equivalent:
                output.Add(FhirItem.FromBoolean(Equivalent(a, b)));
                break;
            case BinaryOperator.NotEquivalent:
                output.Add(FhirItem.FromBoolean(!Equivalent(a, b)));
                break;
            case BinaryOperator.LessThan or BinaryOperator.GreaterThan or BinaryOperator.LessOrEqual or BinaryOperator.GreaterOrEqual:
                AddBoolean(Order(a, b), output);
                break;
            case BinaryOperator.Union:
                Union(a, b, output);
                break;
            case BinaryOperator.In:
                AddBoolean(Member(a, b), output);
                break;
            case BinaryOperator.Contains:
                AddBoolean(Member(b, a), output);
                break;
            case BinaryOperator.Concatenate:
                output.Add(FhirItem.FromString(string.Concat(a.Count == 0 ? string.Empty : Single(a).GetString(), b.Count == 0 ? string.Empty : Single(b).GetString())));
                break;
            default:
                if (a.Count != 0 && b.Count != 0 && Arithmetic(Single(a), Single(b)) is { } result)
                {
                    output.Add(result);
                }

                break;
        }

        context.Return(a);
        context.Return(b);
    }

    /// <summary>A collection read as a boolean: empty is unknown, one boolean is itself, any other single item is true.</summary>
    public static bool? ToBoolean(ItemBuffer items)
    {
        if (items.Count == 0)
        {
            return null;
        }

        if (items.Count > 1)
        {
            throw new FhirPathException("expected a single boolean, got a collection of " + items.Count);
        }

        return items[0].PrimitiveKind == ItemKind.Boolean ? items[0].GetBoolean() : true;
    }

    private static void AddBoolean(bool? value, ItemBuffer output)
    {
        if (value is { } b)
        {
            output.Add(FhirItem.FromBoolean(b));
        }
    }

    private static ref readonly FhirItem Single(ItemBuffer items)
    {
        if (items.Count != 1)
        {
            throw new FhirPathException("expected a single item, got a collection of " + items.Count);
        }

        return ref items[0];
    }

    private bool? Logic(bool? a, bool? b) => op switch
    {
        BinaryOperator.And => a == false || b == false ? false : a == true && b == true ? true : null,
        BinaryOperator.Or => a == true || b == true ? true : a == false && b == false ? false : null,
        BinaryOperator.Xor => a is null || b is null ? null : a != b,
        _ => a == false || b == true ? true : a == true && b == false ? false : null,
    };

    private static bool? Equal(ItemBuffer a, ItemBuffer b)
    {
        if (a.Count == 0 || b.Count == 0)
        {
            return null;
        }

        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            var equal = ItemComparison.Equal(a[i], b[i]);
            if (equal != true)
            {
                return equal;
            }
        }

        return true;
    }

    private static bool Equivalent(ItemBuffer a, ItemBuffer b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (ItemComparison.Equal(a[i], b[i]) != true
                && !(a[i].PrimitiveKind == ItemKind.String && b[i].PrimitiveKind == ItemKind.String
                     && string.Equals(a[i].GetString().Trim(), b[i].GetString().Trim(), StringComparison.OrdinalIgnoreCase)))
            {
                return false;
            }
        }

        return true;
    }

    private bool? Order(ItemBuffer a, ItemBuffer b)
    {
        if (a.Count == 0 || b.Count == 0)
        {
            return null;
        }

        if (ItemComparison.Compare(Single(a), Single(b)) is not { } order)
        {
            return null;
        }

        return op switch
        {
            BinaryOperator.LessThan => order < 0,
            BinaryOperator.GreaterThan => order > 0,
            BinaryOperator.LessOrEqual => order <= 0,
            _ => order >= 0,
        };
    }

    private static void Union(ItemBuffer a, ItemBuffer b, ItemBuffer output)
    {
        var start = output.Count;
        AddDistinct(a, output, start);
        AddDistinct(b, output, start);
    }

    private static void AddDistinct(ItemBuffer items, ItemBuffer output, int start)
    {
        for (var i = 0; i < items.Count; i++)
        {
            var seen = false;
            for (var j = start; j < output.Count && !seen; j++)
            {
                seen = ItemComparison.Equal(items[i], output[j]) == true;
            }

            if (!seen)
            {
                output.Add(items[i]);
            }
        }
    }

    private static bool? Member(ItemBuffer element, ItemBuffer collection)
    {
        if (element.Count == 0)
        {
            return null;
        }

        var item = Single(element);
        for (var i = 0; i < collection.Count; i++)
        {
            if (ItemComparison.Equal(item, collection[i]) == true)
            {
                return true;
            }
        }

        return false;
    }

    private FhirItem? Arithmetic(in FhirItem a, in FhirItem b)
    {
        var ka = a.PrimitiveKind;
        var kb = b.PrimitiveKind;
        if (op == BinaryOperator.Add && ka == ItemKind.String && kb == ItemKind.String)
        {
            return FhirItem.FromString(a.GetString() + b.GetString());
        }

        if (!ItemComparison.IsNumber(ka) || !ItemComparison.IsNumber(kb))
        {
            throw new FhirPathException($"operator {op} needs numbers, got {ka} and {kb}");
        }

        var integers = ka == ItemKind.Integer && kb == ItemKind.Integer;
        var x = a.GetNumber();
        var y = b.GetNumber();
        switch (op)
        {
            case BinaryOperator.Add:
                return integers ? FhirItem.FromInteger((long)(x + y)) : FhirItem.FromDecimal(x + y);
            case BinaryOperator.Subtract:
                return integers ? FhirItem.FromInteger((long)(x - y)) : FhirItem.FromDecimal(x - y);
            case BinaryOperator.Multiply:
                return integers ? FhirItem.FromInteger((long)(x * y)) : FhirItem.FromDecimal(x * y);
            case BinaryOperator.Divide:
                return y == 0 ? null : FhirItem.FromDecimal(x / y);
            case BinaryOperator.IntegerDivide:
                return y == 0 ? null : FhirItem.FromInteger((long)decimal.Truncate(x / y));
            default:
                return y == 0 ? null : integers ? FhirItem.FromInteger((long)(x % y)) : FhirItem.FromDecimal(x % y);
        }
    }
}
