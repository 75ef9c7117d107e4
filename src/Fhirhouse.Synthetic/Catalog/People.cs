namespace Fhirhouse.Synthetic.Catalog;

/// <summary>Names, streets and towns for French- and English-speaking patients (common names, no real person).</summary>
public static class People
{
    public static readonly string[] FrenchMaleGiven =
    [
        "Jean", "Pierre", "Michel", "André", "Philippe", "Alain", "Bernard", "Jacques", "François", "Christophe", "Nicolas", "Julien",
        "Thomas", "Louis", "Hugo", "Lucas", "Mathieu", "Olivier", "Éric", "Stéphane", "Laurent", "Gérard", "Yves", "Antoine",
    ];

    public static readonly string[] FrenchFemaleGiven =
    [
        "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Françoise", "Monique", "Valérie", "Christine", "Sophie", "Camille",
        "Léa", "Manon", "Chloé", "Julie", "Céline", "Hélène", "Martine", "Élodie", "Aurélie", "Brigitte", "Anne", "Margaux", "Inès",
    ];

    public static readonly string[] FrenchFamily =
    [
        "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent",
        "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Lefebvre",
        "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin",
    ];

    public static readonly string[] EnglishMaleGiven =
    [
        "James", "John", "Robert", "Michael", "William", "David", "Richard", "Joseph", "Thomas", "Charles", "Daniel", "Matthew",
        "George", "Oliver", "Harry", "Jack", "Edward", "Samuel", "Henry", "Peter", "Andrew", "Mark", "Paul", "Steven",
    ];

    public static readonly string[] EnglishFemaleGiven =
    [
        "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah", "Karen", "Emily", "Olivia",
        "Amelia", "Isla", "Grace", "Sophie", "Charlotte", "Emma", "Margaret", "Helen", "Rachel", "Laura", "Hannah", "Lucy",
    ];

    public static readonly string[] EnglishFamily =
    [
        "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson", "Roberts", "Robinson",
        "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel",
        "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King",
    ];

    public static readonly string[] FrenchStreets =
    [
        "rue de la République", "avenue Jean Jaurès", "rue Victor Hugo", "boulevard Gambetta", "rue Pasteur", "place de la Mairie",
        "rue du Général de Gaulle", "avenue des Tilleuls", "rue des Écoles", "chemin des Vignes", "rue Nationale", "allée des Roses",
    ];

    public static readonly string[] EnglishStreets =
    [
        "High Street", "Station Road", "Church Lane", "Victoria Road", "Green Lane", "Manor Road", "Park Avenue", "Queen Street",
        "Mill Lane", "King's Road", "Springfield Road", "The Crescent",
    ];

    public static readonly Place[] FrenchPlaces =
    [
        new("Paris", "75011", "Paris", "FR"), new("Lyon", "69003", "Rhône", "FR"), new("Marseille", "13005", "Bouches-du-Rhône", "FR"),
        new("Toulouse", "31000", "Haute-Garonne", "FR"), new("Lille", "59000", "Nord", "FR"), new("Bordeaux", "33000", "Gironde", "FR"),
        new("Nantes", "44000", "Loire-Atlantique", "FR"), new("Strasbourg", "67000", "Bas-Rhin", "FR"), new("Rennes", "35000", "Ille-et-Vilaine", "FR"),
        new("Créteil", "94000", "Val-de-Marne", "FR"), new("Montpellier", "34000", "Hérault", "FR"), new("Grenoble", "38000", "Isère", "FR"),
    ];

    public static readonly Place[] EnglishPlaces =
    [
        new("London", "SE1 7EH", "Greater London", "GB"), new("Manchester", "M13 9WL", "Greater Manchester", "GB"),
        new("Birmingham", "B15 2TH", "West Midlands", "GB"), new("Leeds", "LS1 3EX", "West Yorkshire", "GB"),
        new("Bristol", "BS2 8HW", "Bristol", "GB"), new("Oxford", "OX3 9DU", "Oxfordshire", "GB"),
        new("Cambridge", "CB2 0QQ", "Cambridgeshire", "GB"), new("Newcastle upon Tyne", "NE1 4LP", "Tyne and Wear", "GB"),
        new("Sheffield", "S10 2JF", "South Yorkshire", "GB"), new("Nottingham", "NG7 2UH", "Nottinghamshire", "GB"),
    ];
}
