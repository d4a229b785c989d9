// Placeholder until the hosting issue lands.
Console.WriteLine("not written yet");
return 1;
