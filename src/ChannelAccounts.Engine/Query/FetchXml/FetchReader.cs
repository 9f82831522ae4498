using System.Xml;
using ChannelAccounts.Engine.Query.Aggregates;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Query;
using static ChannelAccounts.Engine.Query.FetchXml.FetchXmlParser;

namespace ChannelAccounts.Engine.Query.FetchXml;

/// <summary>Walks a &lt;fetch&gt; element into the query model.</summary>
internal sealed class FetchReader(XmlElement fetch)
{
    public ParsedFetch Read()
    {
        if (fetch.Name != "fetch")
        {
            throw Invalid($"The root element of FetchXML must be <fetch>, not <{fetch.Name}>.");
        }
        Allow(fetch, "version", "top", "count", "page", "paging-cookie", "returntotalrecordcount", "distinct", "aggregate",
            "mapping", "output-format", "no-lock", "latematerialize", "useraworderby", "options", "datasource", "aggregatelimit");
        var entities = Children(fetch).ToList();
        if (entities.Count != 1 || entities[0].Name != "entity")
        {
            throw Invalid("A <fetch> element must hold exactly one <entity> element.");
        }
        var entity = entities[0];
        Allow(entity, "name", "enableprefiltering", "prefilterparametername");
        var name = Required(entity, "name");
        if (Bool(fetch, "aggregate"))
        {
            return new ParsedFetch(null, ReadAggregate(entity, name));
        }
        var aliases = new List<(string Alias, string Attribute)>();
        var plain = new HashSet<string>(StringComparer.Ordinal);
        var query = ReadQuery(entity, name, aliases, plain);
        return new ParsedFetch(query, null, aliases.Count == 0 ? null : new FetchColumnAliases(aliases, plain));
    }

    /// <param name="aliases">Receives the column aliases of the entity's own attributes.</param>
    /// <param name="plain">Receives the attributes also asked for without an alias.</param>
    private QueryExpression ReadQuery(XmlElement entity, string name, List<(string Alias, string Attribute)> aliases, HashSet<string> plain)
    {
        var query = new QueryExpression(name)
        {
            TopCount = Int(fetch, "top"),
            Distinct = Bool(fetch, "distinct"),
            NoLock = Bool(fetch, "no-lock"),
        };
        if (query.TopCount > QueryContext.MaxPageSize)
        {
            throw Invalid($"The 'top' attribute cannot exceed {QueryContext.MaxPageSize:N0}; page through more rows with 'count' and 'page' instead.");
        }
        if (query.TopCount is not null && (Int(fetch, "count") is not null || Int(fetch, "page") is not null))
        {
            throw Invalid("The 'top' attribute cannot be used with 'count' or 'page'; use paging or top, not both.");
        }
        query.PageInfo.Count = Int(fetch, "count") ?? 0;
        query.PageInfo.PageNumber = Int(fetch, "page") ?? 1;
        query.PageInfo.ReturnTotalRecordCount = Bool(fetch, "returntotalrecordcount");
        if (fetch.GetAttribute("paging-cookie") is { Length: > 0 } cookie)
        {
            query.PageInfo.PagingCookie = FetchPagingCookie.Unwrap(cookie);
        }
        var columns = new List<string>();
        var all = false;
        var links = 0;
        foreach (var child in Children(entity))
        {
            switch (child.Name)
            {
                case "attribute":
                    if (child.HasAttribute("aggregate") || child.HasAttribute("groupby"))
                    {
                        throw Invalid("An <attribute> with aggregate or groupby needs aggregate=\"true\" on <fetch>.");
                    }

                    var attribute = ReadColumn(child, name => name, aliases, plain); // its own column comes back under its name
                    columns.Add(attribute);
                    break;
                case "all-attributes":
                    Allow(child);
                    all = true;
                    break;
                case "order":
                    query.Orders.Add(ReadOrder(child));
                    break;
                case "filter":
                    query.Criteria.AddFilter(ReadFilter(child, null, name, ref links));
                    break;
                case "link-entity":
                    query.LinkEntities.Add(ReadLink(child, name, ref links, columnAliases: (aliases, plain)));
                    break;
                default:
                    throw Invalid($"The element <{child.Name}> is not valid inside <entity> in FetchXML.");
            }
        }
        query.ColumnSet = all ? new ColumnSet(true) : new ColumnSet([.. columns]);
        return query;
    }

    /// <summary>
    /// An &lt;attribute&gt; of the entity or of a link-entity, with its column alias if it has one (recorded under the
    /// key its value comes back as: the column, or "linkalias.column"); returns the column's name.
    /// </summary>
    private static string ReadColumn(XmlElement child, Func<string, string> keyOf,
        List<(string Alias, string Attribute)> aliases, HashSet<string> plain)
    {
        Allow(child, "name", "alias");
        var attribute = Required(child, "name");
        var key = keyOf(attribute);
        if (child.GetAttribute("alias") is { Length: > 0 } alias && alias != key)
        {
            if (alias.Contains('.', StringComparison.Ordinal) || aliases.Any(a => a.Alias == alias))
            {
                throw Invalid($"The alias '{alias}' on <attribute name=\"{attribute}\"> is used twice or holds a '.'; give each column its own alias.");
            }
            aliases.Add((alias, key));
        }
        else
        {
            plain.Add(key);
        }
        return attribute;
    }

    /// <param name="inLink">True inside a link-entity, whose orders are its own columns (no entityname there).</param>
    private static OrderExpression ReadOrder(XmlElement order, bool inLink = false)
    {
        Allow(order, "attribute", "descending", "alias", "entityname");
        if (order.GetAttribute("alias").Length > 0)
        {
            throw Invalid("An <order> on an alias is supported only in aggregate queries; order by an attribute.");
        }
        if (inLink && order.GetAttribute("entityname").Length > 0)
        {
            throw Invalid("An <order> inside a <link-entity> orders by that link's attributes; entityname belongs on an <order> of the entity.");
        }
        return new OrderExpression(Required(order, "attribute"), Bool(order, "descending") ? OrderType.Descending : OrderType.Ascending)
        {
            EntityName = order.GetAttribute("entityname") is { Length: > 0 } entityName ? entityName : null,
        };
    }

    /// <param name="links">The links read so far at any depth: an unaliased link's columns come back as its table's name and its place.</param>
    /// <param name="aggregate">The aggregate query the link belongs to: its attributes are then groups and aggregates.</param>
    /// <param name="columnAliases">The query's column aliases, which a link's attributes may add to; null where a link returns no columns.</param>
    private static LinkEntity ReadLink(XmlElement element, string from, ref int links, AggregateQuery? aggregate = null,
        (List<(string Alias, string Attribute)> Aliases, HashSet<string> Plain)? columnAliases = null)
    {
        Allow(element, "name", "from", "to", "alias", "link-type", "visible", "intersect");
        var link = new LinkEntity(from, Required(element, "name"), Required(element, "to"), Required(element, "from"),
            element.GetAttribute("link-type") switch
            {
                "" or "inner" => JoinOperator.Inner,
                "outer" => JoinOperator.LeftOuter,
                "matchfirstrowusingcrossapply" => JoinOperator.MatchFirstRowUsingCrossApply,
                "exists" => JoinOperator.Exists,
                "in" => JoinOperator.In,
                "any" => JoinOperator.Any,
                "not any" => JoinOperator.NotAny,
                "all" => JoinOperator.All,
                "not all" => JoinOperator.NotAll,
                var other => throw Invalid($"The link-type '{other}' is not supported; use inner, outer, matchfirstrowusingcrossapply, exists, in, or inside a filter any, not any, all or not all."),
            });
        var place = ++links;
        link.EntityAlias = element.GetAttribute("alias") is { Length: > 0 } alias ? alias : link.LinkToEntityName + place;
        var columns = new List<string>();
        foreach (var child in Children(element))
        {
            switch (child.Name)
            {
                case "attribute" when aggregate is not null:
                    ReadAggregateAttribute(child, aggregate, link.EntityAlias);
                    break;
                case "attribute" when columnAliases is { } known:
                    columns.Add(ReadColumn(child, name => link.EntityAlias + "." + name, known.Aliases, known.Plain));
                    break;
                case "attribute":
                    Allow(child, "name");
                    columns.Add(Required(child, "name"));
                    break;
                case "all-attributes" when aggregate is not null:
                    throw Invalid("<all-attributes> is not valid in an aggregate query; name each attribute with groupby or aggregate.");
                case "all-attributes":
                    link.Columns = new ColumnSet(true);
                    break;
                case "filter":
                    link.LinkCriteria.AddFilter(ReadFilter(child, null, link.LinkToEntityName, ref links));
                    break;
                case "order" when aggregate is null:
                    link.Orders.Add(ReadOrder(child, inLink: true));
                    break;
                case "link-entity":
                    link.LinkEntities.Add(ReadLink(child, link.LinkToEntityName, ref links, aggregate, columnAliases));
                    break;
                default:
                    throw Invalid($"The element <{child.Name}> is not valid inside <link-entity> in FetchXML.");
            }
        }
        if (!link.Columns.AllColumns)
        {
            link.Columns = new ColumnSet([.. columns]);
        }
        if (LinkTree.IsTest(link) && (link.Columns.AllColumns || link.Columns.Columns.Count > 0 || link.Orders.Count > 0))
        {
            throw Invalid($"The link-entity '{link.EntityAlias}' has link-type '{element.GetAttribute("link-type")}', which tests related rows and returns none of their columns; "
                + "remove its attributes and orders, or use link-type inner, outer or matchfirstrowusingcrossapply.");
        }
        return link;
    }

    /// <param name="from">The table the filter's conditions test, which a link-entity inside it links from.</param>
    internal static FilterExpression ReadFilter(XmlElement element, string? entityName, string from, ref int links)
    {
        Allow(element, "type", "isquickfindfields", "hint");
        var filter = new FilterExpression(element.GetAttribute("type") switch
        {
            "" or "and" => LogicalOperator.And,
            "or" => LogicalOperator.Or,
            var other => throw Invalid($"The filter type '{other}' is not valid; use and or or."),
        });
        foreach (var child in Children(element))
        {
            switch (child.Name)
            {
                case "condition":
                    filter.AddCondition(FetchConditions.Read(child, entityName));
                    break;
                case "filter":
                    filter.AddFilter(ReadFilter(child, entityName, from, ref links));
                    break;
                case "link-entity":
                    AddFilterLink(filter, ReadLink(child, from, ref links));
                    break;
                default:
                    throw Invalid($"The element <{child.Name}> is not valid inside <filter> in FetchXML.");
            }
        }
        return filter;
    }

    /// <summary>
    /// A link-entity inside a filter is one more condition of it (QueryExpression's AnyAllFilterLinkEntity); a filter
    /// holds one, so a second one gets a filter of its own under the same and/or.
    /// </summary>
    private static void AddFilterLink(FilterExpression filter, LinkEntity link)
    {
        if (link.JoinOperator is not (JoinOperator.Any or JoinOperator.NotAny or JoinOperator.All or JoinOperator.NotAll))
        {
            throw Invalid($"A link-entity inside a filter needs link-type any, not any, all or not all; '{link.EntityAlias}' has {link.JoinOperator}.");
        }
        if (filter.AnyAllFilterLinkEntity is null)
        {
            filter.AnyAllFilterLinkEntity = link;
        }
        else
        {
            filter.AddFilter(new FilterExpression { AnyAllFilterLinkEntity = link });
        }
    }

    private AggregateQuery ReadAggregate(XmlElement entity, string name)
    {
        var query = new AggregateQuery(name) { TopCount = Int(fetch, "top") };
        var links = 0;
        foreach (var child in Children(entity))
        {
            switch (child.Name)
            {
                case "attribute":
                    ReadAggregateAttribute(child, query, linkAlias: null);
                    break;
                case "link-entity":
                    query.LinkEntities.Add(ReadLink(child, name, ref links, query));
                    break;
                case "filter":
                    query.Criteria.AddFilter(ReadFilter(child, null, name, ref links));
                    break;
                case "order":
                    if (child.HasAttribute("attribute"))
                    {
                        throw Invalid("An aggregate query orders by the alias of a grouped or aggregated attribute: <order alias=\"...\"/>, not <order attribute=\"...\"/>.");
                    }

                    Allow(child, "alias", "descending");
                    query.Orders.Add(new AggregateOrder(Required(child, "alias"), Bool(child, "descending")));
                    break;
                default:
                    throw Invalid($"The element <{child.Name}> is not supported inside an aggregate <entity>.");
            }
        }
        return query;
    }

    /// <param name="linkAlias">The alias of the link-entity the attribute sits in; null for the entity's own.</param>
    private static void ReadAggregateAttribute(XmlElement element, AggregateQuery query, string? linkAlias)
    {
        Allow(element, "name", "alias", "aggregate", "groupby", "dategrouping", "distinct", "usertimezone");
        var attribute = Required(element, "name");
        if (element.GetAttribute("aggregate").Length == 0 && !Bool(element, "groupby"))
        {
            throw Invalid($"In an aggregate query every <attribute> is grouped or aggregated: give '{attribute}' groupby=\"true\" or aggregate=\"count|countcolumn|min|max|avg|sum\", and an alias.");
        }

        var alias = element.GetAttribute("alias") is { Length: > 0 } named ? named
            : throw Invalid($"In an aggregate query the <attribute name=\"{attribute}\"> needs an alias: each grouped or aggregated value comes back under it.");
        if (Bool(element, "groupby"))
        {
            DateGrouping? grouping = element.GetAttribute("dategrouping") switch
            {
                "" => null,
                "day" => DateGrouping.Day,
                "week" => DateGrouping.Week,
                "month" => DateGrouping.Month,
                "quarter" => DateGrouping.Quarter,
                "year" => DateGrouping.Year,
                var other => throw Invalid($"The dategrouping '{other}' is not valid; use day, week, month, quarter or year."),
            };
            query.Groups.Add(new GroupKey(attribute, alias, grouping, linkAlias));
            return;
        }
        var function = element.GetAttribute("aggregate") switch
        {
            "count" => AggregateFunction.Count,
            "countcolumn" => AggregateFunction.CountColumn,
            "min" => AggregateFunction.Min,
            "max" => AggregateFunction.Max,
            "avg" => AggregateFunction.Avg,
            "sum" => AggregateFunction.Sum,
            "" => throw Invalid($"In an aggregate query the attribute '{attribute}' needs aggregate=\"...\" or groupby=\"true\"."),
            var other => throw Invalid($"The aggregate '{other}' is not valid; use count, countcolumn, min, max, avg or sum."),
        };
        query.Aggregates.Add(new AggregateColumn(function, attribute, alias, Bool(element, "distinct"), linkAlias));
    }
}
